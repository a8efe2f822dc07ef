import numpy as np
def als(X,f=64,lam=30,alpha=1.0,iters=10,scaled=False,seed=0,a0=0.0):
    rng=np.random.default_rng(seed); n,m=X.shape
    U=rng.normal(0,0.01,(n,f)); V=rng.normal(0,0.01,(m,f))
    P=(X>0).astype(float); C=alpha*X
    def solve(A,B,P,C,scaled):
        G=B.T@B
        out=np.empty((A.shape[0],f))
        cnt=P.sum(1)
        for u in range(A.shape[0]):
            idx=np.nonzero(P[u])[0]
            Bu=B[idx]; cu=C[u,idx]
            l=lam*cnt[u] if scaled else lam
            M=G+(Bu.T*cu)@Bu+l*np.eye(f)
            rhs=(Bu.T*(1+cu)).sum(1)
            out[u]=np.linalg.solve(M,rhs)
        return out
    for it in range(iters):
        U=solve(U,V,P,C,scaled); V=solve(V,U,P.T,C.T,scaled)
    return U@V.T
def ease(X,lam=500):
    B=(X>0).astype(float); G=B.T@B; G[np.diag_indices_from(G)]+=lam
    P=np.linalg.inv(G); W=-P/np.diag(P); np.fill_diagonal(W,0)
    return B@W
def dlae(X,lam=150,p=0.33):
    B=(X>0).astype(float); G=B.T@B; d=np.diag(G).copy()
    G[np.diag_indices_from(G)]+=lam+p/(1-p)*d
    W=np.linalg.solve(G,B.T@B); return B@W
def user_ease(X,lam=100):
    B=(X>0).astype(float); G=B@B.T; G[np.diag_indices_from(G)]+=lam
    P=np.linalg.inv(G); W=-P/np.diag(P); np.fill_diagonal(W,0)
    return W.T@B
def userknn(X,k=50,shrink=10):
    B=(X>0).astype(float); nrm=np.sqrt(B.sum(1))+1e-9
    S=(B@B.T)/(np.outer(nrm,nrm)+shrink); np.fill_diagonal(S,0)
    if k<S.shape[0]:
        idx=np.argpartition(-S,k,axis=1)[:,k:]; np.put_along_axis(S,idx,0,axis=1)
    return S@B
def itemknn(X,k=100,shrink=10):
    B=(X>0).astype(float); nrm=np.sqrt(B.sum(0))+1e-9
    S=(B.T@B)/(np.outer(nrm,nrm)+shrink); np.fill_diagonal(S,0)
    if k<S.shape[0]:
        idx=np.argpartition(-S,k,axis=0)[:-k,:] if False else np.argpartition(-S,k,axis=1)[:,k:]; np.put_along_axis(S,idx,0,axis=1)
    return B@S.T
def recall(scores,X,rel,ui,ii,K=20):
    # rel: dict user->set(items) (raw ids)
    S=scores.copy(); S[X>0]=-np.inf
    tot=0;n=0
    for u,items in rel.items():
        if u not in ui: continue
        r=set(ii[i] for i in items if i in ii)
        if not r: continue
        top=np.argpartition(-S[ui[u]],K)[:K]
        tot+=len(r.intersection(top))/len(r); n+=1
    return tot/n
