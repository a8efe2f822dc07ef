import gzip, numpy as np, csv, io
from datetime import datetime
from zoneinfo import ZoneInfo
import os
D=os.environ['DATA_DIR'].rstrip('/')+'/'  # holds movielens-100k/ and online-retail/
def ml(fold):
    allr=[tuple(map(int,l.split('\t'))) for l in gzip.open(D+'movielens-100k/u.data.gz','rt')]
    test=set((u,i) for u,i,r,t in (tuple(map(int,l.split('\t'))) for l in gzip.open(D+f'movielens-100k/u{fold}.test.gz','rt')))
    train=[(u,i,t) for u,i,r,t in allr if (u,i) not in test]
    return train, list(test)
def retail():
    cut=datetime(2011,9,1,tzinfo=ZoneInfo('Europe/London')).timestamp()
    lon=ZoneInfo('Europe/London')
    train=[];test=[]
    import re
    P=re.compile(r'^\d{5}[A-Za-z]?$')
    with gzip.open(D+'online-retail/online-retail.csv.gz','rt',encoding='utf-8',errors='replace') as f:
        for row in csv.DictReader(f):
            c=row['CustomerID'].strip(); inv=row['InvoiceNo']; code=row['StockCode'].strip()
            if not c or inv.startswith('C') or not P.match(code) or int(row['Quantity'])<=0: continue
            t=datetime.strptime(row['InvoiceDate'],'%Y-%m-%d %H:%M:%S').replace(tzinfo=lon).timestamp()
            (train if t<cut else test).append((c.replace('.0',''),code,t))
    return train,[(u,i) for u,i,t in test]
def index(train):
    us=sorted(set(u for u,i,t in train)); its=sorted(set(i for u,i,t in train))
    return {u:k for k,u in enumerate(us)},{i:k for k,i in enumerate(its)}
def matrix(train,ui,ii):
    X=np.zeros((len(ui),len(ii)),dtype=np.float64)
    for u,i,t in train: X[ui[u],ii[i]]+=1
    return X
def valsplit(train):
    # newest 20% of each customer's lines (same-moment together); if none, newest moment of 2+ moments
    by={}
    for u,i,t in train: by.setdefault(u,[]).append((t,i))
    fit=[];held={}
    for u,l in by.items():
        l.sort()
        n=len(l); k=int(n*0.2)
        times=sorted(set(t for t,i in l))
        if k>0:
            cutt=l[n-k][0]
        elif len(times)>=2:
            cutt=times[-1]
        else:
            cutt=None
        own=set(i for t,i in l if cutt is None or t<cutt)
        h=set(i for t,i in l if cutt is not None and t>=cutt)-own
        for t,i in l:
            if cutt is None or t<cutt: fit.append((u,i,t))
        if h: held[u]=h
    return fit,held
